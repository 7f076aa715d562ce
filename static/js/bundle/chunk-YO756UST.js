import{a}from"./chunk-GCRRMNZ6.js";import"./chunk-XHKUZKQ4.js";import"./chunk-VHBKZHO4.js";import"./chunk-FFUZZOF5.js";import"./chunk-QKRQDTEI.js";import"./chunk-N5UICCG3.js";import"./chunk-SJ6QZ22X.js";export{a as TrainingView};
//# sourceMappingURL=chunk-YO756UST.js.map
